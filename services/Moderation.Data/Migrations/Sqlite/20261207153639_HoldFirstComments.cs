using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moderation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HoldFirstComments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HoldFirstComments",
                table: "sites",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HoldFirstComments",
                table: "sites");
        }
    }
}
