// PawnServices: the I/O loop, HTTP/1.1, HTTP/2 and gRPC, and the dispatcher, worker and
// feeder as library types. They arrive with the HTTP and gRPC issues; this file only
// gives the module its place in the package graph.

/// The service layer's namespace; the services arrive with later issues.
enum PawnServices {}
