# The per-protocol connection states and timeouts (proto_state.cpp).
target_sources(lvslab_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/proto_state.cpp)
