// The one main() every test executable links (compiled once, into zmtp_test_main).
#if !__has_include(<catch2/catch_all.hpp>)
#define CATCH_CONFIG_RUNNER
#endif
#include "tests/support/catch.hpp"

int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
