import CPawnSystem

/// Process-wide settings a service executable makes at start.
public enum ProcessSetup {
    /// Makes standard output line-buffered, so that log lines reach a pipe or a file as
    /// they are printed (the C library buffers whole blocks when it is not a terminal).
    public static func lineBufferStandardOutput() { pawn_line_buffer_stdout() }
}
