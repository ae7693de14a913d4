# Warnings on for every project target, errors kept as warnings so a newer compiler
# does not break a user's build; CI reads them in the log.
add_library(gs_warnings INTERFACE)
target_compile_options(gs_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)
