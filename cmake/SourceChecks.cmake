# The sources' format is .clang-format's, as clang-format 14 (Debian's clang-format-14) applies
# it: other versions break lines differently. `cmake --build build --target format` rewrites
# every source; the `format_check` test (tests/CMakeLists.txt) fails on any file that differs.
# `--target tidy` runs .clang-tidy's checks over GruStream's sources in the compile database.
# Where a tool is missing, its target still exists and fails, saying what to install.
function(gs_add_missing_tool_target name package)
  add_custom_target(${name} COMMAND ${CMAKE_COMMAND} -E echo
    "${name}: ${package} not found (tools/install-deps.sh ${package})"
    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
endfunction()

find_program(GS_CLANG_FORMAT NAMES clang-format-14 DOC "clang-format 14, the sources' formatter")
file(GLOB_RECURSE GS_FORMAT_SOURCES CONFIGURE_DEPENDS LIST_DIRECTORIES false
  ${PROJECT_SOURCE_DIR}/model/*.h ${PROJECT_SOURCE_DIR}/model/*.cpp
  ${PROJECT_SOURCE_DIR}/dsp/*.h ${PROJECT_SOURCE_DIR}/dsp/*.cpp
  ${PROJECT_SOURCE_DIR}/plugin/*.h ${PROJECT_SOURCE_DIR}/plugin/*.cpp
  ${PROJECT_SOURCE_DIR}/tools/*.h ${PROJECT_SOURCE_DIR}/tools/*.cpp
  ${PROJECT_SOURCE_DIR}/tests/*.h ${PROJECT_SOURCE_DIR}/tests/*.cpp)
if(GS_CLANG_FORMAT)
  add_custom_target(format COMMAND ${GS_CLANG_FORMAT} -i ${GS_FORMAT_SOURCES}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} COMMENT "clang-format-14 on every source" VERBATIM)
else()
  gs_add_missing_tool_target(format clang-format-14)
endif()

find_program(GS_RUN_CLANG_TIDY NAMES run-clang-tidy-14 DOC "clang-tidy 14's parallel driver")
if(GS_RUN_CLANG_TIDY)
  # run-clang-tidy takes the files as a regular expression: the checkout's path, escaped. The
  # same expression filters the headers it reports on, so that a system header whose path has
  # /tests/ or /plugin/ in it (which .clang-tidy's HeaderFilterRegex would match) is not checked.
  string(REGEX REPLACE "([][+.*?^$(){}|\\])" "\\\\\\1" GS_SOURCE_DIR_REGEX "${PROJECT_SOURCE_DIR}")
  add_custom_target(tidy
    COMMAND ${GS_RUN_CLANG_TIDY} -p ${CMAKE_BINARY_DIR} -quiet
            -header-filter "${GS_SOURCE_DIR_REGEX}/(model|dsp|plugin|tools|tests)/"
            "${GS_SOURCE_DIR_REGEX}/(model|dsp|plugin|tools|tests)/"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} COMMENT "clang-tidy-14 on every GruStream source"
    VERBATIM)
else()
  gs_add_missing_tool_target(tidy clang-tidy-14)
endif()
