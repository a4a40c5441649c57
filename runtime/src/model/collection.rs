//! Graph's collection response: a page of `value` with its OData annotations.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One page of a Graph collection, as `response = Collection<T>` declares it:
/// `{"value": [...], "@odata.nextLink": ..., "@odata.deltaLink": ..., "@odata.count": ...}`.
/// Other annotations (`@odata.context`, ...) are kept in [`other`](Self::other).
///
/// ```
/// use graph_endpoint::Collection;
///
/// let page: Collection<serde_json::Value> = serde_json::from_str(r#"{
///     "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",
///     "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/managedDevices?$skiptoken=x",
///     "value": [{"id": "d-1"}]
/// }"#)?;
/// assert_eq!(page.value.len(), 1);
/// assert!(page.next_link.is_some());
/// assert!(page.other.contains_key("@odata.context"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page, if there is one.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// On the last page of a delta query: the URL that returns later changes.
    #[serde(rename = "@odata.deltaLink", default, skip_serializing_if = "Option::is_none")]
    pub delta_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Every other property and annotation of the page.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_and_others() {
        let page: Collection<u32> = serde_json::from_str(
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","@odata.count":7,"@odata.nextLink":"https://x/next","value":[1,2]}"#,
        )
        .unwrap();
        assert_eq!(page.value, [1, 2]);
        assert_eq!(page.count, Some(7));
        assert_eq!(page.next_link.as_deref(), Some("https://x/next"));
        assert_eq!(page.other["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#users");
        let empty: Collection<u32> = serde_json::from_str(r#"{"@odata.deltaLink":"https://x/delta"}"#).unwrap();
        assert!(empty.value.is_empty());
        assert_eq!(empty.delta_link.as_deref(), Some("https://x/delta"));
    }
}
