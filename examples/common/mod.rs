//! What the examples share: the seed operations and models, the local Graph stand-in, and
//! a way to run an operation and show what was sent and received.

#![allow(dead_code)]

pub mod seeds;
pub mod stand_in;

use graph_endpoint::testing::StandIn;
use graph_endpoint::{Client, Endpoint, Error};
use std::fmt::Debug;

/// A client for real Graph (when `GRAPH_TOKEN` is set) or for the local stand-in.
pub struct Session {
    pub client: Client,
    /// The stand-in the client calls when there is no tenant; it runs while the session lives.
    stand_in: Option<StandIn>,
}

impl Session {
    /// Real Graph with `GRAPH_TOKEN`, or with `DefaultCredential` when a tenant is configured
    /// (`AZURE_TENANT_ID`: then a client secret or certificate from the environment, workload
    /// identity, managed identity or the Azure CLI); `GRAPH_CLOUD` picks the cloud (global,
    /// us-gov-l4, us-gov-l5, china). Else a stand-in on loopback.
    pub async fn connect() -> Result<Session, Error> {
        let cloud = match std::env::var("GRAPH_CLOUD") {
            Ok(name) => graph_endpoint::NationalCloud::from_name(&name).unwrap_or_else(|| {
                eprintln!("GRAPH_CLOUD={name:?} is not a known cloud; using the global service");
                graph_endpoint::NationalCloud::Global
            }),
            Err(_) => graph_endpoint::NationalCloud::Global,
        };
        let real = if let Ok(token) = std::env::var("GRAPH_TOKEN") {
            Some(Client::builder().cloud(cloud).bearer_token(token))
        } else if std::env::var_os("AZURE_TENANT_ID").is_some() {
            println!("GRAPH_TOKEN is not set, AZURE_TENANT_ID is: signing in with DefaultCredential");
            Some(Client::builder().cloud(cloud).token_provider(graph_endpoint::auth::DefaultCredential::new().cloud(cloud)))
        } else {
            None
        };
        if let Some(builder) = real {
            let client = builder.build()?;
            println!("Calling Microsoft Graph at {}\n", client.base_url());
            return Ok(Session { client, stand_in: None });
        }
        let stand_in = stand_in::start().await;
        let client = stand_in.client_builder().build()?;
        println!("GRAPH_TOKEN is not set: calling a local Graph stand-in at {}\n", client.base_url());
        Ok(Session { client, stand_in: Some(stand_in) })
    }

    /// Whether this session talks to real Graph.
    pub fn is_real(&self) -> bool {
        self.stand_in.is_none()
    }

    /// The stand-in, when there is no tenant: an example declares its own endpoints' answers.
    pub fn stand_in(&self) -> Option<&StandIn> {
        self.stand_in.as_ref()
    }

    /// An id: from the environment variable `var` against real Graph, else `example`.
    /// `None` (after saying which variable is missing) when real Graph needs it and it is not set.
    pub fn id(&self, var: &str, example: &str) -> Option<String> {
        if !self.is_real() {
            return Some(example.to_owned());
        }
        match std::env::var(var) {
            Ok(value) => Some(value),
            Err(_) => {
                println!("skipped: set {var} to run this operation against Graph");
                None
            }
        }
    }

    /// A seed page's request body. Against real Graph the page's placeholder target becomes
    /// the group in `GRAPH_GROUP_ID` (`None` when it is not set) and placeholder values go.
    pub fn body<T: serde::de::DeserializeOwned>(&self, page_json: &str) -> Option<T> {
        let mut value: serde_json::Value = serde_json::from_str(page_json).expect("page JSON");
        if self.is_real() {
            let group = self.id("GRAPH_GROUP_ID", "")?;
            value["target"] = serde_json::json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": group});
            if let Some(map) = value.as_object_mut() {
                map.remove("source");
                map.remove("sourceId");
            }
        }
        Some(serde_json::from_value(value).expect("the page's body decodes"))
    }

    /// Sends an endpoint, printing the request line, the body sent and the typed response.
    pub async fn show<E>(&self, title: &str, endpoint: &E) -> Result<E::Response, Error>
    where
        E: Endpoint,
        E::Response: Debug,
    {
        println!("── {title}");
        let request = self.client.build_request(endpoint).await?;
        println!("{} {}", request.method(), request.uri());
        if let Some(body) = Some(request.body()).filter(|b| !b.is_empty()) {
            let pretty = serde_json::from_slice::<serde_json::Value>(body)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| String::from_utf8_lossy(body).into_owned());
            println!("{pretty}");
        }
        match self.client.execute(endpoint).await {
            Ok(response) => {
                println!("→ {} (request-id {})", response.status(), response.request_id().unwrap_or("none"));
                println!("  {:?}\n", response.value());
                Ok(response.into_inner())
            }
            Err(error) => {
                println!("→ error: {error}\n");
                Err(error)
            }
        }
    }
}
