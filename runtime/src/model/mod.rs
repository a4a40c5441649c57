//! Graph's data shapes that endpoints declare and answers carry: a page of a collection
//! (`Collection`), the `@odata.type` annotation (`ODataType`), what `#[polymorphic]` enums are
//! made of, what the models of `graph-endpoint-gen` are made of (`generated`, `numbers`), and Intune's
//! assignment target (`intune`).
//!
//! May use: nothing else of the crate (`intune`'s `#[polymorphic]` expands to paths through
//! `crate::__private::polymorphic`, which re-exports `polymorphic` from here). Plain data with
//! its serde forms: nothing here sends anything.

pub(crate) mod collection;
pub(crate) mod generated;
pub mod intune;
pub(crate) mod numbers;
pub(crate) mod odata;
pub(crate) mod polymorphic;
