//! Steps of the generator features (wired once generators land).

use super::steps::Handler;

pub(crate) const STEPS: &[(&str, Handler)] = &[];
