// hiredis, from Debian's libhiredis-dev. Only PawnRedis imports this module.
#if !__has_include(<hiredis/hiredis.h>)
#error "hiredis/hiredis.h not found: install the Debian package libhiredis-dev (sudo apt-get install libhiredis-dev, or run scripts/install-libs.sh)"
#endif
#include <hiredis/hiredis.h>
