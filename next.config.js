import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // forbidden() answers 403 with app/forbidden.tsx
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // the streaming XLSX writer stays a plain Node module on the server
  serverExternalPackages: ["exceljs"],
};

export default withNextIntl(nextConfig);
