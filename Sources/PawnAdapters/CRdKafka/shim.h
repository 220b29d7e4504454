// librdkafka, from Debian's librdkafka-dev. Only PawnKafka imports this module.
#if !__has_include(<librdkafka/rdkafka.h>)
#error "librdkafka/rdkafka.h not found: install the Debian package librdkafka-dev (sudo apt-get install librdkafka-dev, or run scripts/install-libs.sh)"
#endif
#include <librdkafka/rdkafka.h>
