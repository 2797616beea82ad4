"""Platform operations: health, status, failed event deliveries, the dev mailbox."""
