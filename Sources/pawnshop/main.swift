// The `pawnshop` executable. Today it only says where the platform stands: the HTTP
// dispatcher, the workers and the all-in-one default arrive with the HTTP issue.
import PawnServices

print(
    """
    pawnshop: the platform is not built yet.
    What exists: PawnDomain (items, actions, the state machine) and PawnProtocol (the
    protobuf codec of Protos/pawnshop.proto). The HTTP dispatcher and workers come next.
    Try: swift run --package-path Examples/ImportDomain
    """)
