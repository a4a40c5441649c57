use graph_endpoint::graph_endpoint;

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent = true)]
pub struct Wipe {
    pub managed_device_id: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/retire", idempotent = false)]
pub struct Retire {
    pub managed_device_id: String,
}

#[graph_endpoint]
pub enum Sync {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", idempotent(true))]
    Managed { managed_device_id: String },
}

fn main() {}
