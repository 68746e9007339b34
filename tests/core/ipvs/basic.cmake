# Tests of the rr wrr lc wlc sed nq fo ovf twos schedulers.
lvslab_add_test(NAME test_basic_schedulers SOURCE ipvs/test_basic_schedulers.cpp
  LABELS unit LIBS lvslab_core)
lvslab_add_test(NAME test_basic_registry SOURCE ipvs/test_basic_registry.cpp
  LABELS unit LIBS lvslab_core)
