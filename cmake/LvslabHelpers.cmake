# Project-wide CMake helpers: the warnings target and the one-test-per-file helper.

# Warnings as an INTERFACE target that each of our targets links PRIVATE (no global flags).
add_library(lvslab_warnings INTERFACE)
target_compile_options(lvslab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wimplicit-fallthrough)

# lvslab_add_test(NAME <name> SOURCE <file.cpp> LABELS <labels...> LIBS <targets...>
#                 [TIMEOUT <s>] [ENV <VAR=value...>])
# One Qt Test executable per test file. Tests link libraries; they never re-list sources.
# The executable lands in build/tests/ so build/bin holds only the programs a user runs.
function(lvslab_add_test)
  cmake_parse_arguments(T "" "NAME;SOURCE;TIMEOUT" "LABELS;LIBS;ENV" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCE})
  set_target_properties(${T_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests AUTOMOC ON)
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test lvslab_warnings ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    LVSLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}" LVSLAB_BINARY_DIR="${CMAKE_BINARY_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${T_ENV}")
endfunction()
