// libmongoc and libbson, from Debian's libmongoc-dev (which pulls libbson-dev). Only
// PawnMongo imports this module.
#if !__has_include(<mongoc/mongoc.h>)
#error "mongoc/mongoc.h not found: install the Debian package libmongoc-dev (sudo apt-get install libmongoc-dev, or run scripts/install-libs.sh)"
#endif
#include <mongoc/mongoc.h>
#include <bson/bson.h>
