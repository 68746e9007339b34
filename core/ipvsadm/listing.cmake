target_sources(lvslab_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/listing.cpp)
