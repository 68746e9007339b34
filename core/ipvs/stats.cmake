# The IPVS statistics and rate estimator (ip_vs_est.c) in lvslab_core.
target_sources(lvslab_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/stats.cpp)
