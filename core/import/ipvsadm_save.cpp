#include "core/import/ipvsadm_save.h"

#include "core/import/design.h"
#include "core/ipvsadm/model_table.h"
#include "core/ipvsadm/run.h"

#include <algorithm>

namespace lvs::core::import {

Result<Topology> importIpvsadmSave(std::string_view text, std::string_view fileName)
{
    ipvsadm::StateTable table;
    if (auto loaded = ipvsadm::loadRestoreText(text, fileName, table); !loaded)
        return fail(loaded.error().message);
    auto services = ipvsadm::servicesOf(table);
    if (!services)
        return fail(std::string(fileName) + ": " + services.error().message);
    ImportedDirector director;
    director.services = std::move(*services);
    for (const ipvsadm::ListedService& s : table.services())
        if (auto laddrs = table.localAddresses(ipvsadm::keyOf(s)))
            for (const ipvsadm::LocalAddressEntry& l : *laddrs)
                if (!l.address.ipv6
                    && std::find(director.localAddresses.begin(), director.localAddresses.end(), l.address.v4)
                        == director.localAddresses.end())
                    director.localAddresses.push_back(l.address.v4);
    if (director.services.empty())
        return fail(std::string(fileName) + ": no virtual service in the rules");
    return designFromImport({director}, "Imported from " + std::string(fileName));
}

} // namespace lvs::core::import
