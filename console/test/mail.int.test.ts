import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '@opop/server-kit';
import { testEngines } from '@opop/server-kit/testing';
import { openAccounts, type Accounts } from '../src/accounts/index.ts';
import { smtpMailer } from '../src/accounts/mailer.ts';
import { authenticatorCode, Browser, directoryOf, testConsoleConfig } from './support.ts';

/**
 * With SMTP_URL set, invitation and password links are mailed, over real SMTP, to a local server
 * that keeps what it receives; without it, nothing is sent (accounts.int.test.ts).
 */
describe('mail through SMTP_URL', () => {
  const received: { to: string[]; data: string }[] = [];
  let smtp: SMTPServer;
  let accounts: Accounts;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as { port: number };
    const smtpUrl = `smtp://127.0.0.1:${port}`;
    accounts = await openAccounts(
      testConsoleConfig(testEngines()[0]!, { smtp: { url: smtpUrl, from: 'OPOP Jatim <no-reply@opop.test>' } }),
      createLogger('mail-test', 'silent'),
      directoryOf({ 'pesantren-tebuireng': { id: '7d3c1f4e-8a9b-4c2d-9e1f-0a1b2c3d4e5f', name: 'Pesantren Tebuireng', kind: 'PESANTREN_OPERATOR' } }),
      smtpMailer(smtpUrl, 'OPOP Jatim <no-reply@opop.test>'),
    );
  });
  afterAll(async () => {
    await accounts?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  it('mails an invitation link to the invited email, and a forgotten-password link to an account holder only', async () => {
    await accounts.service.ensureFirstAdmin({ email: 'admin@opop.test', password: 'admin-sandi-panjang' });
    const admin = new Browser();
    admin.take((await accounts.service.signIn({ email: 'admin@opop.test', password: 'admin-sandi-panjang' }, admin.context())).cookies);
    const person = async () => (await accounts.service.signedIn(admin.context().headers))!;
    const setup = await accounts.service.startTwoFactor(await person(), { password: 'admin-sandi-panjang' }, admin.context());
    admin.take(setup.cookies);
    admin.take((await accounts.service.confirmTwoFactor(await person(), { code: authenticatorCode(setup.totpUri) }, admin.context())).cookies);

    const invited = await accounts.service.invite(await person(), { name: 'Ustadz Mail', contactKind: 'EMAIL', contact: 'ustadz@tebuireng.test', kind: 'PESANTREN_OPERATOR', organisationSlug: 'pesantren-tebuireng' }, admin.context());
    expect(invited.mailed).toBe(true);
    const invitation = received.find((mail) => mail.to.includes('ustadz@tebuireng.test'))!;
    expect(invitation.data.replace(/=\r?\n/g, '')).toContain(invited.link);

    const before = received.length;
    expect(await accounts.service.requestPasswordReset({ email: 'tidak-ada@x.test' }, new Browser().context())).toEqual({ mailed: true });
    expect(received).toHaveLength(before);
    await accounts.service.requestPasswordReset({ email: 'admin@opop.test' }, new Browser().context());
    const reset = received.at(-1)!;
    expect(reset.to).toEqual(['admin@opop.test']);
    const link = /http:\/\/localhost:4330\/sandi-baru\/[\w-]+/.exec(reset.data.replace(/=\r?\n/g, ''))?.[0];
    expect(link).toBeDefined();
    await accounts.service.resetPassword(link!.split('/').pop()!, { password: 'sandi-dari-email-1' }, new Browser().context());
    await accounts.service.signIn({ email: 'admin@opop.test', password: 'sandi-dari-email-1' }, new Browser().context());
  });
});
