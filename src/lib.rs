#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

// Lets the crate's own tests and doctests name `::graph_endpoint` like users do.
extern crate self as graph_endpoint;

/// Turns a struct (or an enum of alternate routes) into a Microsoft Graph endpoint: an
/// [`Endpoint`] implementation and a typed builder.
///
/// ```
/// use graph_endpoint::{graph_endpoint, Endpoint, Method};
///
/// #[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", version = "beta")]
/// pub struct WipeDevice {
///     pub managed_device_id: String,                 // binds {managedDeviceId}
///     #[graph(body)]
///     pub options: serde_json::Value,
/// }
///
/// let wipe = WipeDevice::builder().managed_device_id("d-1").options(serde_json::json!({"keepUserData": true})).build();
/// assert_eq!(wipe.method(), Method::Post);
/// assert!(!wipe.is_idempotent()); // a POST is never resent after an unknown outcome
/// ```
///
/// The full syntax — arguments, field roles, the builder, what does not compile — is in the
/// [crate documentation](crate#the-attribute).
pub use graph_endpoint_macros::graph_endpoint;

/// An enum of Graph subtypes keyed by `@odata.type`, as Graph's type hierarchies are
/// (assignment targets, device configurations, apps).
///
/// ```
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct Windows10General {
///     pub display_name: String,
///     pub password_required: Option<bool>,
/// }
///
/// #[derive(Debug, Serialize, Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct IosGeneral {
///     pub display_name: String,
/// }
///
/// #[graph_endpoint::polymorphic]
/// #[derive(Debug)]
/// pub enum DeviceConfiguration {
///     #[odata("microsoft.graph.windows10GeneralConfiguration")]
///     Windows10General(Windows10General),
///     #[odata("microsoft.graph.iosGeneralDeviceConfiguration")]
///     IosGeneral(IosGeneral),
///     #[odata(other)]
///     Other(serde_json::Value), // any other subtype, kept whole
/// }
///
/// // Read with or without `#`; written with it, first.
/// let read: DeviceConfiguration =
///     serde_json::from_str(r#"{"@odata.type": "microsoft.graph.iosGeneralDeviceConfiguration", "displayName": "iOS"}"#)?;
/// assert!(matches!(&read, DeviceConfiguration::IosGeneral(ios) if ios.display_name == "iOS"));
/// assert_eq!(
///     serde_json::to_string(&read)?,
///     r##"{"@odata.type":"#microsoft.graph.iosGeneralDeviceConfiguration","displayName":"iOS"}"##
/// );
/// // Any other subtype round-trips unchanged.
/// let macos = r##"{"@odata.type":"#microsoft.graph.macOSGeneralDeviceConfiguration","displayName":"Mac","x":[1]}"##;
/// let other: DeviceConfiguration = serde_json::from_str(macos)?;
/// assert_eq!(serde_json::to_string(&other)?, macos);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Each variant is a newtype over the subtype's own struct (an `@odata.type` it writes itself
/// is left out: the enum writes the variant's). `#[odata(other)]` (at most one) holds
/// `serde_json::Value`, `serde_json::Map<String, serde_json::Value>` or a struct that keeps
/// `@odata.type` and the properties it does not declare (typed access to what every subtype
/// shares). `#[odata("microsoft.graph.x", default)]` (at most one) reads an object without
/// `@odata.type` (Graph sends a value of a type that is not abstract without it); that variant
/// reads and writes the annotation through its own type, so an object round-trips with or
/// without it. A missing `@odata.type` without a default variant, a non-string one, or an
/// unknown one without a catch-all, is a serde error. `crate = "path"` names a renamed facade.
pub use graph_endpoint_macros::polymorphic;
pub use graph_endpoint_runtime::*;

/// What generated code reaches by absolute path (`::graph_endpoint::__private::...`): the
/// runtime's one module of it, as it is. Not a public API.
#[doc(hidden)]
pub use graph_endpoint_runtime::__private;
