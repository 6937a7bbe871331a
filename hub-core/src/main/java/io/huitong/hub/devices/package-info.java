/**
 * Hall devices (设备管理): the registry the kiosk bridge asks when a device says hello, the devices' presence and
 * telemetry, the alarms it raises (paper low or out, faults, a device gone silent), and operator commands (reload,
 * reboot, volume) sent through the bridge.
 *
 * <ul>
 *   <li>Tables: schema {@code devices}: {@code device}, {@code device_alarm}.</li>
 *   <li>Routes: {@code /api/v1/admin/devices}, {@code /api/v1/admin/devices/{id}},
 *       {@code /api/v1/admin/devices/{id}/commands}, {@code /api/v1/admin/device-alarms}.</li>
 *   <li>Event bus (consumed): {@code huitong.devices.authenticate} (request), {@code huitong.devices.presence},
 *       {@code huitong.devices.telemetry}, {@code huitong.devices.command-result}. Published:
 *       {@code huitong.devices.alarm} for each alarm raised or cleared, and {@code huitong.kiosk.deliver} for
 *       commands and for a deleted device, whose connection every bridge then closes.</li>
 *   <li>Config keys: none; the bridge's are {@code bridge.*}.</li>
 * </ul>
 */
package io.huitong.hub.devices;
