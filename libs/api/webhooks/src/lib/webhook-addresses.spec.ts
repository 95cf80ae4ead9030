import { isForbiddenAddress, unreachableHostReason } from './webhook-addresses';

describe('webhook addresses', () => {
  it('refuses loopback, private, link-local and unspecified addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect([address, isForbiddenAddress(address)]).toEqual([address, true]);
    }
  });
  it('accepts public addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect([address, isForbiddenAddress(address)]).toEqual([address, false]);
    }
  });
  it('says why a URL is refused, unless private addresses are allowed', async () => {
    expect(await unreachableHostReason('http://127.0.0.1:9/hook', false)).toMatch(/loopback, private or link-local address \(127\.0\.0\.1\)/);
    expect(await unreachableHostReason('http://[::1]:9/hook', false)).toMatch(/::1/);
    expect(await unreachableHostReason('http://localhost:9/hook', false)).toMatch(/loopback/);
    expect(await unreachableHostReason('http://127.0.0.1:9/hook', true)).toBeNull();
  });
});
