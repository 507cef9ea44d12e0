import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

// Headers that are the same for every answer: pages, the API and Next's static files. The
// Content-Security-Policy (with a per-request nonce) and, behind HTTPS, Strict-Transport-Security
// are set in proxy.ts.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // forbidden() answers 403 with app/forbidden.tsx
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // the streaming XLSX writer and the PDF report's writer (which reads its own font files) stay plain Node modules on the server
  serverExternalPackages: ["exceljs", "pdfkit", "svg-to-pdfkit"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // the uploads bypass proxy.ts (see its matcher): the API's policy and caching here
      ...["/api/admin/import", "/api/cases/:id/attachments", "/api/guides/:id/pairs"].map((source) => ({
        source,
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox" },
          { key: "Cache-Control", value: "private, no-store" },
        ],
      })),
    ];
  },
};

export default withNextIntl(nextConfig);
