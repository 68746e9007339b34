# Tests of the dh sh mh lblc lblcr schedulers.
