# The scheduler sources of lvslab_core. basic_* files: rr wrr lc wlc sed nq fo ovf twos;
# hash_* files: dh sh mh lblc lblcr. Each family adds its files to its own list.
set(LVSLAB_SCHED_BASIC_SOURCES
  ipvs/sched/basic_registry.cpp
)
set(LVSLAB_SCHED_HASH_SOURCES
  ipvs/sched/hash_registry.cpp
)
