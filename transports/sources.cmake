# Transport sources, compiled into the zmtp library (core reaches them only through
# core/transport.hpp's register_builtin_transports hook).
set(ZMTP_TRANSPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/builtin.cpp
    ${CMAKE_CURRENT_LIST_DIR}/inproc/inproc_transport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/engine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/engine_input.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/engine_output.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/engine_heartbeat.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/engine_timer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/listener.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stream/peer_address.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_address.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_transport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tcp/tcp_tuning.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ipc/ipc_address.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ipc/ipc_transport.cpp
)
