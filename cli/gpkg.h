/*
 * gpkg.h — results as a GeoPackage (`--geopackage FILE`), for GIS users.
 */
#ifndef COR_CLI_GPKG_H
#define COR_CLI_GPKG_H

#include <jansson.h>

/* Writes the GeoJSON FeatureCollection `fc` (the reference is taken) to `path` as
 * GeoPackage layers "<cmd>_lines", "<cmd>_points" and, for features without a geometry,
 * "<cmd>_rows" (only those that have features; an empty result gives an empty "<cmd>_lines"), with field types from the JSON values and a
 * default QGIS style per layer in the `layer_styles` table. Written atomically: a temporary
 * folder beside `path`, renamed into place only when complete. Problems are printed as
 * "corridor CMD: ..."; returns 0, or EXIT_BAD. */
int gpkg_write(const char *cmd, const char *path, json_t *fc);

#endif
