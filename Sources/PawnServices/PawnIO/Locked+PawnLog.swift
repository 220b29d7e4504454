import PawnLog

/// The lock every type of ours uses for shared state (`Locked` of PawnLog): it lives in
/// PawnLog, the lowest module with state shared between threads, so that the log's writer
/// uses it too; every module that imports PawnIO knows it by this name.
public typealias Locked<Value: ~Copyable> = PawnLog.Locked<Value>
