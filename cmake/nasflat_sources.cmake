# nasflat_sources.cmake — the project's one source-listing policy: every target names its files
# (no globs), and configuring fails when a .cpp or .cu file of a source folder is in no target,
# so a file added without its CMake line (or merged from a branch) is never silently left out.
#   nasflat_optional_sources(FILES...)      files compiled only in some builds (CUDA on or off)
#   nasflat_check_sources_listed(FOLDERS...) last thing in the top-level CMakeLists.txt

function(nasflat_optional_sources)
  foreach(f ${ARGN})
    get_filename_component(abs ${f} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set_property(GLOBAL APPEND PROPERTY NASFLAT_OPTIONAL_SOURCES ${abs})
  endforeach()
endfunction()

# Every source file of every target defined in `dir` and below, as absolute paths.
function(_nasflat_target_sources dir out)
  set(found)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t ${targets})
    get_target_property(sources ${t} SOURCES)
    get_target_property(source_dir ${t} SOURCE_DIR)
    if(NOT sources)
      continue()
    endif()
    foreach(f ${sources})
      if(NOT f MATCHES "^\\$<")  # generator expressions name no plain file
        get_filename_component(abs ${f} ABSOLUTE BASE_DIR ${source_dir})
        list(APPEND found ${abs})
      endif()
    endforeach()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    _nasflat_target_sources(${sub} sub_found)
    list(APPEND found ${sub_found})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(nasflat_check_sources_listed)
  _nasflat_target_sources(${PROJECT_SOURCE_DIR} listed)
  get_property(optional GLOBAL PROPERTY NASFLAT_OPTIONAL_SOURCES)
  list(APPEND listed ${optional})
  set(missing)
  foreach(folder ${ARGN})
    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp
         ${PROJECT_SOURCE_DIR}/${folder}/*.cu)
    foreach(f ${files})
      if(NOT f IN_LIST listed)
        file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${f})
        list(APPEND missing ${rel})
      endif()
    endforeach()
  endforeach()
  if(missing)
    string(REPLACE ";" ", " missing "${missing}")
    message(FATAL_ERROR "nasflat: ${missing}: in no target; fix: add the file to the source "
                        "list in its folder's CMakeLists.txt (every target lists its files)")
  endif()
endfunction()
