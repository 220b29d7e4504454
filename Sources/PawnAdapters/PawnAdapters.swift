// PawnAdapters: the ports the services need (event log, item store, fraud list, parking
// lot, object store) as Swift protocols, their in-memory implementations, and one module
// per C client (librdkafka, libmongoc, hiredis) behind them. They arrive with the HTTP
// and adapter issues; this file only gives the module its place in the package graph.

/// The adapter layer's namespace; its ports and adapters arrive with later issues.
enum PawnAdapters {}
