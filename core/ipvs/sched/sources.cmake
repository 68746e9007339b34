# The scheduler sources of lvslab_core. basic_* files: rr wrr lc wlc sed nq fo ovf twos;
# hash_* files: dh sh mh lblc lblcr. Each family adds its files to its own list.
set(LVSLAB_SCHED_BASIC_SOURCES
  ipvs/sched/basic_fo.cpp
  ipvs/sched/basic_lc.cpp
  ipvs/sched/basic_nq.cpp
  ipvs/sched/basic_ovf.cpp
  ipvs/sched/basic_registry.cpp
  ipvs/sched/basic_rr.cpp
  ipvs/sched/basic_sed.cpp
  ipvs/sched/basic_twos.cpp
  ipvs/sched/basic_wlc.cpp
  ipvs/sched/basic_wrr.cpp
)
set(LVSLAB_SCHED_HASH_SOURCES
  ipvs/sched/hash_dh.cpp
  ipvs/sched/hash_functions.cpp
  ipvs/sched/hash_lblc.cpp
  ipvs/sched/hash_lblcr.cpp
  ipvs/sched/hash_locality.cpp
  ipvs/sched/hash_mh.cpp
  ipvs/sched/hash_registry.cpp
  ipvs/sched/hash_sh.cpp
)
