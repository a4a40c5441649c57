use graph_endpoint::graph_endpoint;

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent, idempotent)]
pub struct Wipe {
    pub managed_device_id: String,
}

#[graph_endpoint]
pub enum Retire {
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

fn main() {}
