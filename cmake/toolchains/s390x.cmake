# Cross build for s390x (Debian: g++-s390x-linux-gnu, qemu-user). See cross-debian.cmake.
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(ZMTP_CROSS_TRIPLET s390x-linux-gnu)
set(ZMTP_CROSS_QEMU qemu-s390x)
include(${CMAKE_CURRENT_LIST_DIR}/cross-debian.cmake)
