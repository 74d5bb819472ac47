import { DomSanitizer, SafeHtml } from "@angular/platform-browser";
import { PrismaClient } from "@prisma/client";
import * as https from "https";

export class CommentView {
  constructor(private sanitizer: DomSanitizer) {}

  render(comment: string): SafeHtml {
    // ruleid: ts-angular-bypass-sanitizer
    return this.sanitizer.bypassSecurityTrustHtml(comment);
  }

  logo(): SafeHtml {
    // ok: ts-angular-bypass-sanitizer
    return this.sanitizer.bypassSecurityTrustHtml("<b>ACME</b>");
  }
}

export async function byEmail(prisma: PrismaClient, email: string): Promise<unknown> {
  // ruleid: ts-prisma-raw-unsafe
  const a = await prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`);
  // ok: ts-prisma-raw-unsafe
  const b = await prisma.$queryRaw`SELECT * FROM "User" WHERE email = ${email}`;
  return [a, b];
}

export function agent(): https.Agent {
  // ruleid: ts-tls-checks-disabled-in-agent
  const bad = new https.Agent({ checkServerIdentity: () => undefined });
  // ok: ts-tls-checks-disabled-in-agent
  return new https.Agent({ keepAlive: true, bad });
}
