use std::fmt;

use crate::model::SpecVersion;

/// Which interaction of a contract a write problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionRef {
    /// 0-based position in [`crate::model::Contract::interactions`].
    pub index: usize,
    /// The interaction's description.
    pub description: String,
}

impl fmt::Display for InteractionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "interaction {} (\"{}\")", self.index, self.description)
    }
}

/// Which body of an interaction a write problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyPart {
    /// The HTTP request body.
    Request,
    /// The HTTP response body.
    Response,
    /// The message contents.
    Message,
}

impl fmt::Display for BodyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BodyPart::Request => "request body",
            BodyPart::Response => "response body",
            BodyPart::Message => "message contents",
        })
    }
}

/// A contract could not be written in the requested specification version.
///
/// V4 can hold every contract; the errors are about older versions, which
/// have no form for some of what a contract holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// Only V3 and V4 files are written.
    #[error("treaty writes V3 and V4 contracts, not {version}; write V4 (or V3 for older tools)")]
    UnsupportedVersion {
        /// The version asked for.
        version: SpecVersion,
    },
    /// A V3 file holds HTTP interactions or messages, not both.
    #[error(
        "{interaction} is {found} but {first} is {expected}: a V3 file holds either \
         HTTP interactions or messages, not both; write V4 instead"
    )]
    MixedInteractions {
        /// The first interaction of a different kind.
        interaction: InteractionRef,
        /// Its kind (V4 type name).
        found: &'static str,
        /// The contract's first interaction, which set the file's kind.
        first: InteractionRef,
        /// The first interaction's kind (V4 type name).
        expected: &'static str,
    },
    /// Synchronous messages exist only in V4.
    #[error("{interaction} is Synchronous/Messages, which V3 cannot express; write V4 instead")]
    SyncMessageInV3 {
        /// The synchronous message interaction.
        interaction: InteractionRef,
    },
    /// V3 writes binary bodies as base64 text, which reads back as bytes
    /// only when the content type is a binary one.
    #[error(
        "the {part} of {interaction} is binary, but its content type in a V3 file \
         ({content_type}) would read back as text: declare a binary Content-Type \
         (header or message metadata) or write V4 instead"
    )]
    BinaryBodyInV3 {
        /// The interaction.
        interaction: InteractionRef,
        /// Which body.
        part: BodyPart,
        /// The content type a V3 reader would see, or `none`.
        content_type: String,
    },
}

/// Something a contract holds that the requested version cannot, and that
/// [`super::write_contract`] therefore leaves out (a warning, not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The interaction it belongs to.
    pub interaction: InteractionRef,
    /// What is left out.
    pub feature: DroppedFeature,
}

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is not written", self.interaction, self.feature)
    }
}

/// The V4-only parts of an interaction that a V3 file leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DroppedFeature {
    /// The interaction key.
    Key,
    /// `pending: true` (the interaction becomes an ordinary one).
    Pending,
    /// The comments.
    Comments,
    /// The plugin configuration.
    PluginConfiguration,
    /// A body's declared content type, which a V3 reader takes from the
    /// `Content-Type` header (or message metadata) or guesses instead.
    BodyContentType {
        /// Which body.
        part: BodyPart,
        /// The declared content type.
        declared: String,
        /// What a V3 reader would see instead, or `none`.
        read_back: String,
    },
}

impl fmt::Display for DroppedFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DroppedFeature::Key => f.write_str("the interaction key"),
            DroppedFeature::Pending => f.write_str("`pending: true`"),
            DroppedFeature::Comments => f.write_str("the comments"),
            DroppedFeature::PluginConfiguration => f.write_str("the plugin configuration"),
            DroppedFeature::BodyContentType {
                part,
                declared,
                read_back,
            } => write!(
                f,
                "the {part}'s content type {declared} (a V3 reader sees {read_back})"
            ),
        }
    }
}
