CREATE TABLE `agent_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`public_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_keys_public_key_unique` ON `agent_keys` (`public_key`);--> statement-breakpoint
CREATE INDEX `agent_keys_agent` ON `agent_keys` (`agent_id`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`last_address` text,
	`connected_since` integer,
	`last_seen_at` integer,
	`read_only` integer DEFAULT false NOT NULL,
	`rotation_requested_at` integer,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agents_tenant` ON `agents` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `enrollment_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_agent_id` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollment_tokens_token_hash_unique` ON `enrollment_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `enrollment_tokens_tenant` ON `enrollment_tokens` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`signature` text,
	`timeout_ms` integer NOT NULL,
	`state` text NOT NULL,
	`outcome` text,
	`progress_done` integer,
	`progress_total` integer,
	`progress_message` text,
	`created_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_agent_seq` ON `jobs` (`agent_id`,`seq`);--> statement-breakpoint
CREATE INDEX `jobs_tenant_agent_state` ON `jobs` (`tenant_id`,`agent_id`,`state`);--> statement-breakpoint
CREATE INDEX `jobs_state_deadline` ON `jobs` (`state`,`deadline_at`);--> statement-breakpoint
CREATE TABLE `tenant_signing_keys` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`sealed_secret_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sot_custom_fields` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`content_types` text NOT NULL,
	`required` integer NOT NULL,
	`default_value` text NOT NULL,
	`description` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_devices` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`hostname` text,
	`vendor` text,
	`model` text,
	`role` text,
	`site_id` text,
	`serial` text NOT NULL,
	`asset_tag` text,
	`platform` text,
	`network_driver` text,
	`status` text,
	`primary_ip4_id` text,
	`primary_ip6_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sot_devices_tenant` ON `sot_devices` (`tenant_id`,`integration_id`,`hostname`);--> statement-breakpoint
CREATE TABLE `sot_integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`token_sealed` text NOT NULL,
	`token_last4` text NOT NULL,
	`reachable_via_agent_id` text,
	`enabled` integer NOT NULL,
	`resync_interval_ms` integer NOT NULL,
	`webhook_slug` text NOT NULL,
	`webhook_secret_sealed` text NOT NULL,
	`status` text NOT NULL,
	`status_code` text,
	`status_message` text,
	`nautobot_version` text,
	`api_version` text,
	`device_count` integer,
	`probed_at` integer,
	`sync_watermark` text,
	`last_sync_at` integer,
	`last_full_sync_at` integer,
	`lookups_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sot_integrations_webhook_slug_unique` ON `sot_integrations` (`webhook_slug`);--> statement-breakpoint
CREATE INDEX `sot_integrations_tenant` ON `sot_integrations` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `sot_interface_ips` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`interface_id` text NOT NULL,
	`ip_address_id` text NOT NULL,
	`is_primary` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sot_interface_ips_interface` ON `sot_interface_ips` (`integration_id`,`interface_id`);--> statement-breakpoint
CREATE TABLE `sot_interfaces` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`device_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`enabled` integer NOT NULL,
	`status` text,
	`mtu` integer,
	`mac_address` text,
	`description` text NOT NULL,
	`mgmt_only` integer NOT NULL,
	`mode` text,
	`lag_id` text,
	`parent_interface_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sot_interfaces_device` ON `sot_interfaces` (`integration_id`,`device_id`);--> statement-breakpoint
CREATE TABLE `sot_ip_addresses` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`address` text NOT NULL,
	`host` text NOT NULL,
	`mask_length` integer NOT NULL,
	`ip_version` integer NOT NULL,
	`type` text NOT NULL,
	`status` text,
	`role` text,
	`parent_prefix_id` text,
	`dns_name` text NOT NULL,
	`description` text NOT NULL,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_lookups` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`detail` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_prefixes` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`prefix` text NOT NULL,
	`ip_version` integer NOT NULL,
	`type` text NOT NULL,
	`status` text,
	`role` text,
	`parent_id` text,
	`namespace` text,
	`description` text NOT NULL,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_sites` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`name` text NOT NULL,
	`location_type` text,
	`parent_id` text,
	`status` text,
	`description` text NOT NULL,
	`facility` text NOT NULL,
	`time_zone` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`state` text NOT NULL,
	`mode` text NOT NULL,
	`trigger` text NOT NULL,
	`fetched` integer NOT NULL,
	`total` integer NOT NULL,
	`counts` text NOT NULL,
	`error_code` text,
	`error_message` text,
	`queued_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sot_sync_runs_integration` ON `sot_sync_runs` (`integration_id`,`queued_at`);--> statement-breakpoint
CREATE TABLE `sot_tags` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`name` text NOT NULL,
	`color` text NOT NULL,
	`content_types` text NOT NULL,
	`description` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sot_tombstones` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`id` text NOT NULL,
	`last_updated_ms` integer,
	`applied_at` integer NOT NULL,
	`model` text NOT NULL,
	PRIMARY KEY(`integration_id`, `id`),
	FOREIGN KEY (`integration_id`) REFERENCES `sot_integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
