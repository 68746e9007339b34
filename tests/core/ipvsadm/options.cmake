# Tests of the ipvsadm command-line parser.
lvslab_add_test(NAME test_ipvsadm_options SOURCE ipvsadm/test_options.cpp LABELS unit LIBS lvslab_core)
