# Tests of the rr wrr lc wlc sed nq fo ovf twos schedulers.
