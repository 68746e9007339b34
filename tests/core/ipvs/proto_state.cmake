# Tests of the per-protocol connection states and timeouts.
lvslab_add_test(NAME test_proto_state SOURCE ipvs/test_proto_state.cpp LABELS unit LIBS lvslab_core)
