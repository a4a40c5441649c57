//! `idempotent`: a bare flag, once, and only on a POST.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}", idempotent)]
pub struct GetUser {
    pub user_id: String,
}

#[graph_endpoint(PUT "/users/{userId}/photo/$value", idempotent)]
pub struct SetPhoto {
    pub user_id: String,
}

#[graph_endpoint(PATCH "/users/{userId}", idempotent)]
pub struct UpdateUser {
    pub user_id: String,
}

#[graph_endpoint(DELETE "/users/{userId}", idempotent)]
pub struct DeleteUser {
    pub user_id: String,
}

#[graph_endpoint]
pub enum UpdateAssignment {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}", idempotent)]
    Configuration { device_configuration_id: String },
}

// On the enum, the flag applies to every variant, so every variant must be a POST.
#[graph_endpoint(idempotent)]
pub enum Assign {
    #[graph(POST "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign")]
    Configuration { device_configuration_id: String },
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments")]
    List { device_configuration_id: String },
    #[graph(DELETE "/deviceManagement/deviceConfigurations/{deviceConfigurationId}")]
    Delete { device_configuration_id: String },
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent, idempotent)]
pub struct WipeTwice {
    pub managed_device_id: String,
}

#[graph_endpoint]
pub enum RetireTwice {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/retire", idempotent)]
    #[graph(idempotent)]
    Device { managed_device_id: String },
}

// On the enum it already applies to every variant.
#[graph_endpoint(idempotent)]
pub enum SyncDevice {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", idempotent)]
    Managed { managed_device_id: String },
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent = true)]
pub struct WipeWithValue {
    pub managed_device_id: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/retire", idempotent = false)]
pub struct RetireWithValue {
    pub managed_device_id: String,
}

#[graph_endpoint]
pub enum SyncWithValue {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", idempotent(true))]
    Managed { managed_device_id: String },
}

fn main() {}
