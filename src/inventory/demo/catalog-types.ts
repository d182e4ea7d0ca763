/**
 * @module The shape of the demo catalog: device models a hospital really owns, with the firmware
 * and OS versions seen in the field and the manufacturer's end of support. Versions and dates
 * are representative of what such fleets look like, not a statement about any product.
 */

export interface DemoModel {
  /** taxonomy category id */
  category: string;
  /** canonical manufacturer name (see inventory/manufacturers.ts) */
  manufacturer: string;
  model: string;
  firmware: readonly string[];
  /** application software release, where the product has one separate from firmware */
  software: readonly string[];
  os: readonly string[];
  /** YYYY-MM-DD, absent while supported without an announced end */
  endOfSupport?: string;
  /** relative frequency among models of the same category */
  weight: number;
}

/**
 * Compact row: `m(category, manufacturer, model, 'fw1 fw2', 'OS A|OS B', 'YYYY-MM-DD' or '', weight, 'sw1 sw2')`.
 * Firmware and software lists are space separated; OS names contain spaces, so they use '|'.
 */
export function m(category: string, manufacturer: string, model: string, firmware: string, os: string, endOfSupport: string, weight = 1, software = ''): DemoModel {
  return {
    category,
    manufacturer,
    model,
    firmware: firmware.split(' ').filter(Boolean),
    software: software.split(' ').filter(Boolean),
    os: os.split('|').filter(Boolean),
    ...(endOfSupport ? { endOfSupport } : {}),
    weight,
  };
}

export const RTOS = 'VxWorks 6.9|VxWorks 7';
export const QNX = 'QNX Neutrino 6.5|QNX Neutrino 7.0';
export const ELINUX = 'Embedded Linux 4.14|Embedded Linux 5.10';
export const WIN_EMB = 'Windows 7 Embedded Standard|Windows 10 IoT Enterprise LTSC 2019';
export const WIN_OLD = 'Windows XP Embedded|Windows 7 Professional';
export const WIN_DESK = 'Windows 10 Enterprise LTSC 2019|Windows 10 Enterprise 22H2|Windows 11 Enterprise 23H2';
export const WIN_SRV = 'Windows Server 2016|Windows Server 2019|Windows Server 2022';
