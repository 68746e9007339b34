# ipvsadm command-line parser (options.cpp).
target_sources(lvslab_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/options.cpp)
