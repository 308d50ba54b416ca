# nasflat_layers.cmake — the layering of nas/'s rooms, checked when configuring: a room's files
# include headers of its own room and of the rooms it names as below it, never of a room above
# (or beside) it, so a wrong include fails at once rather than growing a cycle.
#   nasflat_check_room_includes(ROOM [BELOW...])   ROOM: a folder of the current source dir
# Each checked file is a configure dependency: editing one re-runs the check at the next build.

function(nasflat_check_room_includes room)
  file(GLOB files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${room}/*.h
       ${CMAKE_CURRENT_SOURCE_DIR}/${room}/*.cpp)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files})
  set(bad)
  foreach(f ${files})
    file(STRINGS ${f} lines REGEX "^#include \"nas/")
    foreach(line ${lines})
      # nas/<room>/x.h names its room; nas/nas.h (the whole data layer, for users) names none.
      string(REGEX MATCH "^#include \"nas/([a-z_]+)/" found "${line}")
      set(used "${CMAKE_MATCH_1}")
      if(NOT found OR NOT (used STREQUAL room OR used IN_LIST ARGN))
        file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${f})
        list(APPEND bad "${rel} (${line})")
      endif()
    endforeach()
  endforeach()
  if(bad)
    string(REPLACE ";" ", " bad "${bad}")
    if(ARGN)
      string(REPLACE ";" ", " below "${ARGN}")
    else()
      set(below "none")
    endif()
    message(FATAL_ERROR "nasflat: ${bad}: nas/${room} may include only its own headers and those "
                        "of the rooms below it (${below}); fix: move the code to the room that "
                        "owns it, or the shared part down (docs/architecture.md)")
  endif()
endfunction()
