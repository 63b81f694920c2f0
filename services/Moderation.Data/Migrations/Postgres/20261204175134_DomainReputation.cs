using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DomainReputation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DomainVote",
                table: "comments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "domain_reputation",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Scope = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SpamCount = table.Column<int>(type: "integer", nullable: false),
                    HamCount = table.Column<int>(type: "integer", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Override = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OverrideBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OverrideAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_domain_reputation", x => new { x.Domain, x.Scope });
                });

            migrationBuilder.CreateIndex(
                name: "IX_domain_reputation_SpamCount_Domain",
                table: "domain_reputation",
                columns: new[] { "SpamCount", "Domain" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "domain_reputation");

            migrationBuilder.DropColumn(
                name: "DomainVote",
                table: "comments");
        }
    }
}
