//! An error's chain of causes: written out for a report, and searched for
//! a connection that dropped.

use std::error::Error;

/// The causes of `error`, outermost first (`error` itself left out).
pub(crate) fn causes<'e>(
    error: &'e (dyn Error + 'static),
) -> impl Iterator<Item = &'e (dyn Error + 'static)> {
    std::iter::successors(error.source(), |&cause| cause.source())
}

/// `error` and its causes, joined by `: `.
pub(crate) fn with_causes(error: &(dyn Error + 'static)) -> String {
    let mut message = error.to_string();
    for cause in causes(error) {
        message.push_str(": ");
        message.push_str(&cause.to_string());
    }
    message
}

/// True for an I/O error of a connection that dropped (reset, aborted, or
/// closed mid-message).
pub(crate) fn dropped(cause: &(dyn Error + 'static)) -> bool {
    use std::io::ErrorKind as Io;
    cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
        matches!(
            io.kind(),
            Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof
        )
    })
}
