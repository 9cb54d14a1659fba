"""The ``gradkit`` accessor on xarray DataArrays and Datasets.

``import gradkit.xarray`` registers it (``import gradkit`` does not: importing xarray costs
about a second, and ``import gradkit`` stays under half a second; measured, ``import
gradkit.xarray`` adds 1.4 s on a lightly loaded 2-core machine, nearly all of it xarray's
own import, and loads no numba). Then, for a DataArray ``da`` or Dataset ``ds``:

- ``da.gradkit.differentiate(coord, edge_order=1, datetime_unit=None, *, accuracy=None,
  boundary=None, period=None)``: ``DataArray.differentiate`` (same values, coordinates,
  attributes, datetime and cftime coordinates, dask laziness, errors) with gradkit's
  accuracy orders and periodic boundaries;
- ``da.gradkit.gradient(dims)`` (a Dataset of ``d{name}_d{dim}``), ``derivative(dim,
  order=)`` and mixed ``derivative({dim: order})``, ``laplacian(dims)``;
  ``ds.gradkit.divergence({dim: var})`` and ``ds.gradkit.curl({dim: var})``; derived
  ``units`` and ``long_name`` attributes;
- ``metric="sphere"`` for latitude/longitude coordinates (degrees, or radians by their
  ``units``): eastward and northward gradients, divergence, relative vorticity and the
  Laplacian on a sphere of ``radius`` metres, with periodic longitude inferred;
- ``da.gradkit.interp(coords, method=..., gradient=True)``: ``DataArray.interp``'s values
  and coordinates from gradkit's grid interpolants, with the exact derivatives along each
  interpolated dimension (``d{name}_d{dim}``).

At the poles (latitude exactly +-90 degrees) every quantity divided by cos(lat) (the
eastward component, divergence, vorticity, Laplacian) is NaN, since the eastward direction
is undefined there; the northward component is the derivative along each meridian. On a
global grid (periodic longitude, an even number of longitudes) the latitude stencils
continue across each pole along the meridian half a circle away, so they stay centred and
the northward component keeps its order up to the poles; on other grids they are one-sided
at the ends. Next to the poles 1/cos(lat) ~ 1/h multiplies the O(h^p) error of the
latitude differences in the Laplacian, divergence and vorticity: those rows converge one
order lower (tests/xarray/test_sphere.py measures the orders).

The accessor holds no numerics of its own beyond the sphere's metric factors: it resolves
coordinates, calls :func:`gradkit.gradient` and :func:`gradkit.derivative`, and wraps the
results back with their coordinates.
"""

import xarray as _xr

from ._accessor import DataArrayAccessor as DataArrayAccessor
from ._accessor import DatasetAccessor as DatasetAccessor
from ._sphere import EARTH_RADIUS as EARTH_RADIUS

__all__ = ["EARTH_RADIUS", "DataArrayAccessor", "DatasetAccessor"]

_xr.register_dataarray_accessor("gradkit")(DataArrayAccessor)
_xr.register_dataset_accessor("gradkit")(DatasetAccessor)
