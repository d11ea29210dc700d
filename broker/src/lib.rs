//! Contract broker (coming with the broker issue).
