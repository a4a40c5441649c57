//! `#[graph_endpoint::polymorphic]`: subtypes read with or without `#`, written with it and
//! first; unknown subtypes kept whole; clear errors; nested anywhere a type can be.

use graph_endpoint::{Collection, polymorphic};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Windows10General {
    display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password_required: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IosGeneral {
    display_name: String,
    #[serde(default)]
    apps_hidden: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Empty {}

#[polymorphic]
#[derive(Debug, Clone, PartialEq)]
enum DeviceConfiguration {
    #[odata("microsoft.graph.windows10GeneralConfiguration")]
    Windows10General(Windows10General),
    #[odata("#microsoft.graph.iosGeneralDeviceConfiguration")]
    IosGeneral(IosGeneral),
    #[odata("microsoft.graph.deviceConfiguration")]
    Base(Empty),
    #[odata(other)]
    Other(Value),
}

/// No catch-all, and a map-typed one elsewhere.
#[polymorphic]
#[derive(Debug, PartialEq)]
enum Closed {
    #[odata("microsoft.graph.windows10GeneralConfiguration")]
    Windows10General(Windows10General),
}

#[polymorphic]
#[derive(Debug, PartialEq)]
enum WithMap {
    #[odata("microsoft.graph.iosGeneralDeviceConfiguration")]
    IosGeneral(IosGeneral),
    #[odata(other)]
    Other(Map<String, Value>),
}

#[test]
fn known_subtypes_read_with_or_without_hash_and_write_with_it_first() {
    for tag in ["microsoft.graph.windows10GeneralConfiguration", "#microsoft.graph.windows10GeneralConfiguration"] {
        let text = format!(r#"{{"@odata.type":"{tag}","displayName":"Win","passwordRequired":true}}"#);
        let read: DeviceConfiguration = serde_json::from_str(&text).unwrap();
        let expected = Windows10General { display_name: "Win".into(), password_required: Some(true) };
        assert_eq!(read, DeviceConfiguration::Windows10General(expected.clone()));
        // From a `Value` as well as from text.
        let from_value: DeviceConfiguration = serde_json::from_value(serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(from_value, read);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Win","passwordRequired":true}"##
        );
    }
    let base: DeviceConfiguration = serde_json::from_str(r##"{"@odata.type":"#microsoft.graph.deviceConfiguration"}"##).unwrap();
    assert_eq!(base, DeviceConfiguration::Base(Empty {}));
    assert_eq!(serde_json::to_string(&base).unwrap(), r##"{"@odata.type":"#microsoft.graph.deviceConfiguration"}"##);
}

#[test]
fn the_type_may_come_after_other_properties() {
    let read: DeviceConfiguration =
        serde_json::from_str(r#"{"displayName":"iPad","appsHidden":["a"],"@odata.type":"microsoft.graph.iosGeneralDeviceConfiguration"}"#)
            .unwrap();
    assert_eq!(read, DeviceConfiguration::IosGeneral(IosGeneral { display_name: "iPad".into(), apps_hidden: vec!["a".into()] }));
}

#[test]
fn unknown_subtypes_round_trip_unchanged() {
    let original = json!({
        "@odata.type": "#microsoft.graph.macOSCustomConfiguration",
        "displayName": "Mac",
        "payload": "AAEC",
        "nested": {"a": [1, 2.5, {"b": null}], "c": "d"},
        "id": "x"
    });
    let read: DeviceConfiguration = serde_json::from_value(original.clone()).unwrap();
    assert!(matches!(read, DeviceConfiguration::Other(_)));
    assert_eq!(serde_json::to_value(&read).unwrap(), original);
    // Without `#`, as some documents write it: still kept exactly as written.
    let bare = json!({"@odata.type": "microsoft.graph.macOSCustomConfiguration", "x": 1});
    let read: WithMap = serde_json::from_value(bare.clone()).unwrap();
    assert!(matches!(&read, WithMap::Other(map) if map["@odata.type"] == "microsoft.graph.macOSCustomConfiguration"));
    assert_eq!(serde_json::to_value(&read).unwrap(), bare);
}

#[test]
fn a_missing_non_string_or_unknown_type_is_a_clear_error() {
    let missing = serde_json::from_str::<DeviceConfiguration>(r#"{"displayName":"x"}"#).unwrap_err().to_string();
    assert!(missing.contains("missing `@odata.type`") && missing.contains("DeviceConfiguration"), "{missing}");
    let number = serde_json::from_str::<DeviceConfiguration>(r#"{"@odata.type":5}"#).unwrap_err().to_string();
    assert!(number.contains("must be a string"), "{number}");
    let not_object = serde_json::from_str::<DeviceConfiguration>(r#""microsoft.graph.x""#).unwrap_err().to_string();
    assert!(not_object.contains("DeviceConfiguration"), "{not_object}");
    let unknown = serde_json::from_str::<Closed>(r##"{"@odata.type":"#microsoft.graph.other"}"##).unwrap_err().to_string();
    assert!(unknown.contains("#microsoft.graph.windows10GeneralConfiguration") && unknown.contains("microsoft.graph.other"), "{unknown}");
    // A known type with a bad body says what the variant's type says.
    let bad = serde_json::from_str::<Closed>(r#"{"@odata.type":"microsoft.graph.windows10GeneralConfiguration","displayName":1}"#);
    assert!(bad.unwrap_err().to_string().contains("invalid type"));
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Assignment {
    id: String,
    configuration: DeviceConfiguration,
    #[serde(default)]
    previous: Option<DeviceConfiguration>,
    #[serde(default)]
    history: Vec<DeviceConfiguration>,
}

#[test]
fn nested_in_fields_options_vecs_and_collections() {
    let page = json!({
        "@odata.nextLink": "https://graph.microsoft.com/beta/x?$skiptoken=1",
        "value": [
            {
                "id": "a",
                "configuration": {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "displayName": "iOS"},
                "previous": null,
                "history": [
                    {"@odata.type": "microsoft.graph.windows10GeneralConfiguration", "displayName": "W"},
                    {"@odata.type": "#microsoft.graph.future", "k": [true]}
                ]
            },
            {
                "id": "b",
                "configuration": {"@odata.type": "#microsoft.graph.future", "displayName": "F"},
                "previous": {"@odata.type": "#microsoft.graph.deviceConfiguration"}
            }
        ]
    });
    let read: Collection<Assignment> = serde_json::from_value(page.clone()).unwrap();
    assert_eq!(read.value.len(), 2);
    assert!(matches!(&read.value[0].history[1], DeviceConfiguration::Other(v) if v["k"] == json!([true])));
    assert_eq!(read.value[1].previous, Some(DeviceConfiguration::Base(Empty {})));
    // Written back: known subtypes with `#`, unknown ones as received.
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(written["value"][0]["history"][0]["@odata.type"], "#microsoft.graph.windows10GeneralConfiguration");
    assert_eq!(written["value"][0]["history"][1], page["value"][0]["history"][1]);
    assert_eq!(written["value"][1]["configuration"], page["value"][1]["configuration"]);
}

/// The declared type itself, as a default variant keeps it: `@odata.type` as read, if any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionResult {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    odata_type: Option<graph_endpoint::ODataType>,
    action_name: String,
    /// What this type does not declare (another subtype's properties), kept.
    #[serde(flatten)]
    additional: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocateResult {
    action_name: String,
    device_location: Value,
}

/// A type that is not abstract: Graph sends a value of it without `@odata.type`.
#[polymorphic]
#[derive(Debug, Clone, PartialEq)]
enum DeviceActionResult {
    #[odata("microsoft.graph.deviceActionResult", default)]
    Base(ActionResult),
    #[odata("microsoft.graph.locateDeviceActionResult")]
    Locate(LocateResult),
    /// A struct as the catch-all: the declared type's properties typed, the rest in its map.
    #[odata(other)]
    Other(ActionResult),
}

#[test]
fn a_default_variant_reads_objects_without_a_type_and_writes_them_as_read() {
    for original in
        [json!({"actionName": "syncDevice"}), json!({"@odata.type": "#microsoft.graph.deviceActionResult", "actionName": "syncDevice"})]
    {
        let read: DeviceActionResult = serde_json::from_value(original.clone()).unwrap();
        let DeviceActionResult::Base(result) = &read else { panic!("{read:?}") };
        assert_eq!(result.action_name, "syncDevice");
        assert_eq!(serde_json::to_value(&read).unwrap(), original, "the annotation is written only where it was read");
    }
    // Properties before the annotation, and the bare form: still the default variant, read whole.
    let late: DeviceActionResult =
        serde_json::from_str(r#"{"actionName":"wipe","@odata.type":"microsoft.graph.deviceActionResult"}"#).unwrap();
    assert!(matches!(&late, DeviceActionResult::Base(r) if r.odata_type == Some(graph_endpoint::ODataType::graph("deviceActionResult"))));
    // Known subtypes keep their own variant, unknown ones the typed catch-all.
    let locate: DeviceActionResult = serde_json::from_value(
        json!({"@odata.type": "#microsoft.graph.locateDeviceActionResult", "actionName": "locateDevice", "deviceLocation": {"latitude": 1.5}}),
    )
    .unwrap();
    assert!(matches!(&locate, DeviceActionResult::Locate(l) if l.device_location["latitude"] == 1.5));
    let future = json!({"@odata.type": "#microsoft.graph.remoteLockActionResult", "actionName": "remoteLock", "unlockPin": "1234"});
    let read: DeviceActionResult = serde_json::from_value(future.clone()).unwrap();
    let DeviceActionResult::Other(other) = &read else { panic!("{read:?}") };
    assert_eq!(other.action_name, "remoteLock");
    assert_eq!(other.additional["unlockPin"], "1234");
    assert_eq!(serde_json::to_value(&read).unwrap(), future);
    // An object without the annotation that does not fit the declared type: its error.
    let bad = serde_json::from_value::<DeviceActionResult>(json!({"actionName": 7})).unwrap_err().to_string();
    assert!(bad.contains("invalid type"), "{bad}");
}

/// A variant whose type writes an `@odata.type` of its own: the enum's is written, once.
#[polymorphic]
#[derive(Debug, Clone, PartialEq)]
enum Results {
    #[odata("microsoft.graph.deviceActionResult")]
    Typed(ActionResult),
}

#[test]
fn a_variant_type_that_keeps_an_annotation_does_not_write_it_twice() {
    let value = Results::Typed(ActionResult {
        odata_type: Some(graph_endpoint::ODataType::graph("somethingElse")),
        action_name: "x".into(),
        additional: Map::new(),
    });
    assert_eq!(serde_json::to_string(&value).unwrap(), r##"{"@odata.type":"#microsoft.graph.deviceActionResult","actionName":"x"}"##);
    let missing = serde_json::from_value::<Results>(json!({"actionName": "x"})).unwrap_err().to_string();
    assert!(missing.contains("missing `@odata.type`"), "{missing}");
}
