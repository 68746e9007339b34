# Tests of the IPVS statistics and rate estimator.
lvslab_add_test(NAME test_stats SOURCE ipvs/test_stats.cpp LABELS unit LIBS lvslab_core)
