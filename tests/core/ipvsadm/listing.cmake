lvslab_add_test(NAME test_ipvsadm_listing SOURCE ipvsadm/test_listing_formats.cpp LABELS unit golden LIBS lvslab_core)
