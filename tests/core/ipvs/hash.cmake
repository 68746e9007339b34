# Tests of the dh sh mh lblc lblcr schedulers.
lvslab_add_test(NAME test_hash_functions SOURCE ipvs/test_hash_functions.cpp LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_hash_dh SOURCE ipvs/test_hash_dh.cpp LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_hash_sh SOURCE ipvs/test_hash_sh.cpp LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_hash_mh SOURCE ipvs/test_hash_mh.cpp LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_hash_lblc SOURCE ipvs/test_hash_lblc.cpp LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_hash_lblcr SOURCE ipvs/test_hash_lblcr.cpp LABELS unit LIBS lvslab_core)
