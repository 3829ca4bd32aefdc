# Transport sources, compiled into the zmtp library (core reaches them only through
# core/transport.hpp's register_builtin_transports hook). ZMTP_TRANSPORTS (a subset of
# tcp;ipc;inproc, minimal builds only) picks which are built in; the list is also passed to the
# compiler (ZMTP_WITH_TCP / ZMTP_WITH_IPC / ZMTP_WITH_INPROC) for builtin.cpp.
set(ZMTP_TRANSPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/builtin.cpp)
set(ZMTP_TRANSPORT_DEFINITIONS)
foreach(t IN LISTS ZMTP_TRANSPORTS)
    if(NOT t MATCHES "^(tcp|ipc|inproc)$")
        message(FATAL_ERROR "ZMTP_TRANSPORTS: unknown transport '${t}' (tcp, ipc, inproc)")
    endif()
    string(TOUPPER "${t}" upper)
    list(APPEND ZMTP_TRANSPORT_DEFINITIONS ZMTP_WITH_${upper})
endforeach()
if("inproc" IN_LIST ZMTP_TRANSPORTS)
    list(APPEND ZMTP_TRANSPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/inproc/inproc_transport.cpp)
endif()
if("tcp" IN_LIST ZMTP_TRANSPORTS OR "ipc" IN_LIST ZMTP_TRANSPORTS)
    list(APPEND ZMTP_TRANSPORT_SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/stream/engine.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/engine_input.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/engine_output.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/engine_heartbeat.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/engine_timer.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/session.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/listener.cpp
        ${CMAKE_CURRENT_LIST_DIR}/stream/peer_address.cpp)
endif()
if("tcp" IN_LIST ZMTP_TRANSPORTS)
    list(APPEND ZMTP_TRANSPORT_SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_address.cpp
        ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_transport.cpp
        ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_tuning.cpp)
endif()
if("ipc" IN_LIST ZMTP_TRANSPORTS)
    list(APPEND ZMTP_TRANSPORT_SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/ipc/ipc_address.cpp
        ${CMAKE_CURRENT_LIST_DIR}/ipc/ipc_transport.cpp)
endif()
